/** Namespaces Calcast speaks, with the prefixes its responses declare once on the root. */
export const DAV = 'DAV:';
export const CALDAV = 'urn:ietf:params:xml:ns:caldav';
export const CS = 'http://calendarserver.org/ns/';
export const APPLE = 'http://apple.com/ns/ical/';

export const PREFIXES: ReadonlyMap<string, string> = new Map([
  [DAV, 'd'],
  [CALDAV, 'cal'],
  [CS, 'cs'],
  [APPLE, 'ical'],
]);

/** Clark notation `{ns}local`: one string that names an element whatever its prefix. */
export const clark = (ns: string, local: string) => `{${ns}}${local}`;

export function splitClark(name: string): { ns: string; local: string } {
  const end = name.indexOf('}');
  return end > 0 ? { ns: name.slice(1, end), local: name.slice(end + 1) } : { ns: '', local: name };
}
