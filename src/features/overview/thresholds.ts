/** The "needs attention" thresholds offered (also the route's search schema: kept tiny, it is in the entry chunk). */
export const WAITING_CHOICES = ['15m', '1h', '4h', '24h'] as const;
export const RETRY_CHOICES = [3, 5, 10, 20] as const;
export const DELAYED_CHOICES = ['1d', '7d', '30d'] as const;

/** `30m` → `30 min`, `2h` → `2 h`, `7d` → `7 d`. */
export const spanText = (v: string) => v.replace(/m$/, ' min').replace(/h$/, ' h').replace(/d$/, ' d');
