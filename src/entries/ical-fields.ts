import ICAL from 'ical.js';
import { recurProblem } from '../ical/value-rules.js';
import { invalid } from '../errors.js';

/** Property helpers shared by the event, to-do and journal mappings. */

/** Sets a single-valued property, or removes it for null/undefined. */
export function setValue(component: ICAL.Component, name: string, value: string | number | null | undefined): void {
  if (value === null || value === undefined || value === '') component.removeAllProperties(name);
  else component.updatePropertyWithValue(name, value);
}

export function getText(component: ICAL.Component, name: string): string | null {
  const v = component.getFirstPropertyValue(name);
  return v === null || v === undefined ? null : String(v);
}

export function getNumber(component: ICAL.Component, name: string): number | null {
  const v = component.getFirstPropertyValue(name);
  return typeof v === 'number' ? v : v === null || v === undefined ? null : Number(v);
}

/**
 * Checks a rule against RFC 5545 first (ical.js's own messages name the wrong bound), then
 * reads it with ical.js, so a rule it cannot expand is refused here too.
 */
export function setRrule(component: ICAL.Component, rule: string | null | undefined): void {
  component.removeAllProperties('rrule');
  if (!rule) return;
  const problem = recurProblem(rule);
  if (problem) throw invalid('rrule', `rrule: ${problem}`);
  let recur: ICAL.Recur;
  try {
    recur = ICAL.Recur.fromString(rule);
  } catch (err) {
    throw invalid('rrule', `rrule is not a valid RFC 5545 rule: ${(err as Error).message}`);
  }
  if (!recur.freq) throw invalid('rrule', 'rrule needs FREQ');
  component.addPropertyWithValue('rrule', recur);
}

export function getRrule(component: ICAL.Component): string | null {
  const v = component.getFirstPropertyValue('rrule');
  return v instanceof ICAL.Recur ? v.toString() : null;
}

/**
 * Reminders are VALARMs of ACTION:DISPLAY triggered `minutes` before the start
 * (RFC 5545 §3.6.6 requires a DESCRIPTION for DISPLAY alarms).
 */
export function setReminders(component: ICAL.Component, minutes: number[] | null | undefined, label: string): void {
  for (const alarm of component.getAllSubcomponents('valarm')) component.removeSubcomponent(alarm);
  for (const m of [...new Set(minutes ?? [])].sort((a, b) => a - b)) {
    const alarm = new ICAL.Component('valarm');
    alarm.addPropertyWithValue('action', 'DISPLAY');
    alarm.addPropertyWithValue('description', label);
    alarm.addPropertyWithValue('trigger', ICAL.Duration.fromSeconds(-m * 60));
    component.addSubcomponent(alarm);
  }
}

/** Minutes before start of every alarm that fires at or before a start-relative trigger. */
export function getReminders(component: ICAL.Component): number[] {
  const out: number[] = [];
  for (const alarm of component.getAllSubcomponents('valarm')) {
    const trigger = alarm.getFirstProperty('trigger');
    const value = trigger?.getFirstValue();
    if (!(value instanceof ICAL.Duration) || trigger?.getParameter('related') === 'END') continue;
    const seconds = value.toSeconds();
    if (seconds <= 0) out.push(Math.round(-seconds / 60));
  }
  return out.sort((a, b) => a - b);
}

export function mailto(email: string): string {
  return `mailto:${email}`;
}

export function emailOf(value: unknown): string {
  return String(value).replace(/^mailto:/i, '');
}
