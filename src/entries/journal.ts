import type { JournalInput } from './schemas.js';
import type { EntryMapping } from './mapping.js';
import { getText, setValue } from './ical-fields.js';
import { formatTime, readDateField, readTime, setTime } from './times.js';
import { entryZone } from './zones.js';

export const journalMapping: EntryMapping<JournalInput> = {
  type: 'VJOURNAL',
  path: 'journals',
  timeKeys: ['date', 'timezone'],
  apply(c, input, keys, calendarZone) {
    if (keys.has('title')) setValue(c, 'summary', input.title);
    if (keys.has('description')) setValue(c, 'description', input.description);
    if (keys.has('status')) setValue(c, 'status', input.status);
    if (keys.has('date')) setTime(c, 'dtstart', readDateField('date', input.date, entryZone(input.timezone, calendarZone)));
  },
  present(c, ctx) {
    const date = readTime(c, 'dtstart', ctx);
    return {
      title: getText(c, 'summary') ?? '',
      description: getText(c, 'description'),
      date: date ? formatTime(date) : null,
      timezone: date?.dt.zoneName ?? ctx.zone,
      status: getText(c, 'status'),
    };
  },
};
