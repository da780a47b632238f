/** The PRODID of everything Calcast writes (RFC 5545 §3.7.3). */
export const PRODID = '-//Calcast//Calcast 0.1//EN';
