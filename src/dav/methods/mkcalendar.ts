import { CALDAV, clark } from '../../xml/namespaces.js';
import { createCalendarAt } from '../create-calendar.js';
import { expectRoot, readXml, type MethodHandler } from '../context.js';
import { instructionsOf } from './proppatch.js';

/**
 * MKCALENDAR (RFC 4791 §5.3.1) with initial properties and a component set; a collection
 * for VTODO only is advertised as such, which Apple Reminders relies on.
 */
export const mkcalendar: MethodHandler = async (req) => {
  const body = await readXml(req.ctx);
  const instructions = body ? instructionsOf(expectRoot(body, CALDAV, 'mkcalendar')) : [];
  await createCalendarAt(req, instructions, clark(CALDAV, 'mkcalendar-response'));
};
