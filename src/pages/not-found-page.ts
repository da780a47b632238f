import { html, page } from './layout.js';

// The pages surface's error formatter: people reach these URLs from links and QR codes, so
// errors are short, friendly HTML pages rather than JSON or plain text.

/**
 * Unknown and unpublished keys answer the same page, so the page does not reveal
 * whether a calendar exists but is hidden.
 */
export function notFoundPage(): string {
  return page({
    title: 'Calendar not found',
    robots: 'noindex',
    body: html`<section class="card hero">
<h1>Calendar not found</h1>
<p>This calendar link doesn’t work. It may have been mistyped, or the calendar is no longer published.</p>
<p class="muted">Check the link you were given, or ask the person who shared it for a new one.</p>
</section>`,
  });
}

const HEADINGS: Record<number, string> = {
  400: 'Something was missing',
  405: 'Not possible here',
  501: 'Not possible here',
  413: 'That request was too large',
  415: 'That request was not understood',
  500: 'Something went wrong',
};

/** Any other error: a heading for the status and one sentence; never a stack trace. */
export function errorPage(status: number, message: string, backHref?: string): string {
  const heading = HEADINGS[status] ?? (status >= 500 ? HEADINGS[500]! : HEADINGS[400]!);
  return page({
    title: heading,
    robots: 'noindex',
    body: html`<section class="card hero">
<h1>${heading}</h1>
<p>${message}</p>
${backHref ? html`<p><a href="${backHref}">Back to the calendar</a></p>` : ''}
</section>`,
  });
}
