// The zones generated events are in. Each VTIMEZONE is the generator's own, written in the
// DTSTART:1970 + yearly RRULE form Outlook and Google publish (RFC 5545 §3.6.5). Two TZIDs are
// not IANA names, so only their VTIMEZONE says what they mean: Outlook's Windows name for
// Berlin's rules, and an invented zone (+03/+04, switching on the first Sunday of April and the
// last of October) that no tz database knows.

interface Observance {
  kind: 'STANDARD' | 'DAYLIGHT';
  from: string;
  to: string;
  name: string;
  start: string;
  rrule?: string;
}

const EU_SUMMER = (from: string, to: string, name: string, hour: string): Observance =>
  ({ kind: 'DAYLIGHT', from, to, name, start: `19700329T0${hour}0000`, rrule: 'FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU' });
const EU_WINTER = (from: string, to: string, name: string, hour: string): Observance =>
  ({ kind: 'STANDARD', from, to, name, start: `19701025T0${hour}0000`, rrule: 'FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU' });
const US_SUMMER = (from: string, to: string, name: string): Observance =>
  ({ kind: 'DAYLIGHT', from, to, name, start: '19700308T020000', rrule: 'FREQ=YEARLY;BYMONTH=3;BYDAY=2SU' });
const US_WINTER = (from: string, to: string, name: string): Observance =>
  ({ kind: 'STANDARD', from, to, name, start: '19701101T020000', rrule: 'FREQ=YEARLY;BYMONTH=11;BYDAY=1SU' });
const FIXED = (offset: string, name: string): Observance =>
  ({ kind: 'STANDARD', from: offset, to: offset, name, start: '19700101T000000' });

export const CUSTOM_ZONE = 'Lakeside Office Time';
export const WINDOWS_ZONE = 'W. Europe Standard Time';

const VTIMEZONES: Record<string, Observance[]> = {
  'America/New_York': [US_SUMMER('-0500', '-0400', 'EDT'), US_WINTER('-0400', '-0500', 'EST')],
  'America/Los_Angeles': [US_SUMMER('-0800', '-0700', 'PDT'), US_WINTER('-0700', '-0800', 'PST')],
  'Europe/Paris': [EU_SUMMER('+0100', '+0200', 'CEST', '2'), EU_WINTER('+0200', '+0100', 'CET', '3')],
  'Europe/London': [EU_SUMMER('+0000', '+0100', 'BST', '1'), EU_WINTER('+0100', '+0000', 'GMT', '2')],
  [WINDOWS_ZONE]: [EU_SUMMER('+0100', '+0200', 'CEST', '2'), EU_WINTER('+0200', '+0100', 'CET', '3')],
  'Asia/Tokyo': [FIXED('+0900', 'JST')],
  'Asia/Kolkata': [FIXED('+0530', 'IST')],
  'Australia/Sydney': [
    { kind: 'STANDARD', from: '+1100', to: '+1000', name: 'AEST', start: '19700405T030000', rrule: 'FREQ=YEARLY;BYMONTH=4;BYDAY=1SU' },
    { kind: 'DAYLIGHT', from: '+1000', to: '+1100', name: 'AEDT', start: '19701004T020000', rrule: 'FREQ=YEARLY;BYMONTH=10;BYDAY=1SU' },
  ],
  [CUSTOM_ZONE]: [
    { kind: 'DAYLIGHT', from: '+0300', to: '+0400', name: 'LKST', start: '19700405T020000', rrule: 'FREQ=YEARLY;BYMONTH=4;BYDAY=1SU' },
    { kind: 'STANDARD', from: '+0400', to: '+0300', name: 'LKT', start: '19701025T030000', rrule: 'FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU' },
  ],
};

/** How often each zone is picked; 'UTC' means DATE-TIMEs written as `…Z`, with no VTIMEZONE. */
export const ZONE_WEIGHTS: readonly (readonly [string, number])[] = [
  ['America/New_York', 24], ['Europe/Paris', 16], ['UTC', 15], ['America/Los_Angeles', 10],
  ['Europe/London', 9], ['Asia/Tokyo', 9], ['Australia/Sydney', 6], ['Asia/Kolkata', 5],
  [WINDOWS_ZONE, 3], [CUSTOM_ZONE, 3],
];

/** The VTIMEZONE of `tzid`, as content lines. */
export function vtimezone(tzid: string): string[] {
  const observances = VTIMEZONES[tzid];
  if (!observances) throw new Error(`no VTIMEZONE for ${tzid}`);
  return [
    'BEGIN:VTIMEZONE', `TZID:${tzid}`,
    ...observances.flatMap((o) => [
      `BEGIN:${o.kind}`, `TZOFFSETFROM:${o.from}`, `TZOFFSETTO:${o.to}`, `TZNAME:${o.name}`, `DTSTART:${o.start}`,
      ...(o.rrule ? [`RRULE:${o.rrule}`] : []), `END:${o.kind}`,
    ]),
    'END:VTIMEZONE',
  ];
}
