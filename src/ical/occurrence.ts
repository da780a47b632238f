import type ICAL from 'ical.js';

/** One instance of a stored object: its start and effective end as instants (unix seconds). */
export interface Occurrence {
  start: number;
  end: number;
  allDay: boolean;
  recurrenceId: string | null;
  /** The component the instance comes from: the master, or the override that replaces it. */
  component: ICAL.Component;
}
