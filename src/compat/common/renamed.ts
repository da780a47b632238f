import { HttpError } from '../../errors.js';

/**
 * A native refusal with the dialect's parameter names: the field, and the native names in the
 * message, so a script's author sees the parameter they sent. `names` maps native fields
 * (`organizer.email`; `reminders` also covers `reminders.0`) to parameters.
 */
export function renamed<T>(names: Record<string, string>, run: () => T | Promise<T>): Promise<T> {
  return Promise.resolve().then(run).catch((err: unknown) => {
    const field = err instanceof HttpError ? err.options.field : undefined;
    if (!(err instanceof HttpError) || field === undefined) throw err;
    const root = field.split('.')[0]!;
    const to = names[field] ?? names[root];
    if (to === undefined) throw err;
    const message = Object.entries(names).reduce(
      (m, [from, name]) => m.replace(new RegExp(`(?<![\\w.])${from.replace('.', '\\.')}(?:\\.\\d+)?(?![\\w.])`, 'g'), name), err.message);
    throw new HttpError(err.status, err.code, message, { ...err.options, field: to });
  });
}
