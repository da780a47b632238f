/** The products' timestamps: unix seconds of epoch milliseconds. */
export const unix = (ms: number) => Math.floor(ms / 1000);
