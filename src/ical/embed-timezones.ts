import ICAL from 'ical.js';
import { vtimezone } from './timezones.js';

const parsed = new Map<string, unknown[] | null>();

/**
 * The jCal of a zone's VTIMEZONE, parsed once. Components built on it share the arrays,
 * which is safe because VTIMEZONEs are only ever read after they are added.
 */
function parsedZone(tzid: string): unknown[] | null {
  let jcal = parsed.get(tzid);
  if (jcal === undefined) {
    const block = vtimezone(tzid);
    jcal = block ? (ICAL.parse(block) as unknown[]) : null;
    parsed.set(tzid, jcal);
  }
  return jcal;
}

/** Every TZID parameter used anywhere under the component. */
export function usedTzids(component: ICAL.Component, into = new Set<string>()): Set<string> {
  for (const prop of component.getAllProperties()) {
    const tzid = prop.getParameter('tzid');
    if (typeof tzid === 'string') into.add(tzid);
  }
  for (const child of component.getAllSubcomponents()) {
    if (child.name !== 'vtimezone') usedTzids(child, into);
  }
  return into;
}

/**
 * Makes the VCALENDAR carry exactly one VTIMEZONE per TZID it uses (RFC 5545 §3.6.5; Outlook
 * shifts events whose TZID has none). VTIMEZONEs a client sent for its own TZIDs are kept as
 * they are; unused ones are dropped; missing IANA ones are added first in the calendar.
 */
export function embedTimezones(root: ICAL.Component): void {
  const used = usedTzids(root);
  const present = new Set<string>();
  for (const vtz of root.getAllSubcomponents('vtimezone')) {
    const tzid = String(vtz.getFirstPropertyValue('tzid'));
    if (!used.has(tzid) || present.has(tzid)) root.removeSubcomponent(vtz);
    else present.add(tzid);
  }
  const missing = [...used].filter((tzid) => !present.has(tzid)).sort();
  const entries = root.getAllSubcomponents().filter((c) => c.name !== 'vtimezone');
  for (const c of entries) root.removeSubcomponent(c);
  for (const tzid of missing) {
    const jcal = parsedZone(tzid);
    if (jcal) root.addSubcomponent(new ICAL.Component(jcal as never));
  }
  for (const c of entries) root.addSubcomponent(c);
}
