import ICAL from 'ical.js';
import { PRODID } from './prodid.js';

/**
 * Splits a whole calendar (an export, a feed) into one VCALENDAR per UID, as CalDAV stores
 * them (RFC 4791 §4.1): the master, its overrides, and the VTIMEZONEs they reference.
 * Components without a UID get a fresh one, since hand-made files often omit it.
 */
export function splitByUid(root: ICAL.Component, newUid: () => string): ICAL.Component[] {
  const zones = new Map(root.getAllSubcomponents('vtimezone').map((z) => [String(z.getFirstPropertyValue('tzid')), z]));
  const groups = new Map<string, ICAL.Component[]>();
  for (const c of root.getAllSubcomponents()) {
    if (c.name === 'vtimezone') continue;
    let uid = c.getFirstPropertyValue('uid');
    if (typeof uid !== 'string' || uid === '') {
      uid = newUid();
      c.updatePropertyWithValue('uid', uid);
    }
    const key = `${c.name}\u0000${uid}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.values()].map((components) => {
    const out = new ICAL.Component('vcalendar');
    out.addPropertyWithValue('version', '2.0');
    out.addPropertyWithValue('prodid', root.getFirstPropertyValue('prodid') ?? PRODID);
    const tzids = new Set<string>();
    for (const c of components) {
      for (const p of c.getAllProperties()) {
        const tzid = p.getParameter('tzid');
        if (typeof tzid === 'string') tzids.add(tzid);
      }
    }
    for (const tzid of tzids) {
      const zone = zones.get(tzid);
      if (zone) out.addSubcomponent(new ICAL.Component(zone.toJSON()));
    }
    for (const c of components) out.addSubcomponent(new ICAL.Component(c.toJSON()));
    return out;
  });
}
