/** Largest calendar object accepted by PUT (RFC 4791 §5.2.5 max-resource-size). */
export const MAX_RESOURCE_SIZE = 1024 * 1024;
/** Largest XML request body (PROPFIND, REPORT, PROPPATCH, MKCALENDAR). */
export const MAX_XML_BODY = 1024 * 1024;
/** Default and largest number of members one sync-collection answer lists (RFC 6578 §3.7). */
export const SYNC_PAGE = 10_000;
