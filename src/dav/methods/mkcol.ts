import { HttpError } from '../../errors.js';
import { DAV, clark } from '../../xml/namespaces.js';
import { createCalendarAt } from '../create-calendar.js';
import { expectRoot, readXml, type MethodHandler } from '../context.js';
import { instructionsOf } from './proppatch.js';

/**
 * Extended MKCOL (RFC 5689), which DAVx5 and vdirsyncer use to create calendars: the body's
 * resourcetype must name a calendar collection; a plain MKCOL makes nothing here.
 */
export const mkcol: MethodHandler = async (req) => {
  const body = await readXml(req.ctx);
  if (!body) throw new HttpError(403, 'FORBIDDEN', 'only calendar collections can be created (send an extended MKCOL body)', { precondition: clark(DAV, 'valid-resourcetype') });
  await createCalendarAt(req, instructionsOf(expectRoot(body, DAV, 'mkcol')), clark(DAV, 'mkcol-response'));
};
