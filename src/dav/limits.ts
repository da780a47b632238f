import type { Config } from '../config.js';

/** Largest calendar object accepted by PUT (RFC 4791 §5.2.5 max-resource-size). */
export const MAX_RESOURCE_SIZE = 1024 * 1024;
/** Largest XML request body (PROPFIND, REPORT, PROPPATCH, MKCALENDAR). */
export const MAX_XML_BODY = 1024 * 1024;
/** Default and largest number of members one sync-collection answer lists (RFC 6578 §3.7). */
export const SYNC_PAGE = 10_000;
/**
 * RFC 4791 §5.2.7–5.2.8: the engine's real bounds (years 0001–9999, as the recurrence code's
 * BEGINNING and FOREVER). parseUtcTime refuses any time outside them, so no query exceeds them.
 */
export const MIN_DATE_TIME = '00010101T000000Z';
export const MAX_DATE_TIME = '99991231T235959Z';

/** The per-request bounds of a report, from the configuration. */
export interface ReportLimits {
  maxInstances: number;
  maxResponseBytes: number;
}

export const reportLimits = (config: Config): ReportLimits => ({ maxInstances: config.davMaxInstances, maxResponseBytes: config.davMaxResponseBytes });
