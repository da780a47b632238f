import { FixedOffsetZone, IANAZone, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';

const DAY_MS = 86_400_000;

/**
 * An IANA zone whose offsets are remembered per UTC day. luxon computes every offset through
 * Intl (several microseconds each), and a create, a list page or a recurrence expansion asks
 * for hundreds. A day whose offset is the same at its start and its end has no transition in
 * it (no zone changes twice within a day), so every instant in it shares that offset.
 * Subclassing luxon's Zone is its documented way to supply a custom zone.
 */
class DayCachedZone extends Zone {
  private readonly iana: IANAZone;
  private readonly days = new Map<number, number | null>();

  constructor(name: string) {
    super();
    this.iana = IANAZone.create(name);
  }

  override get type(): string { return 'iana'; }
  override get name(): string { return this.iana.name; }
  get ianaName(): string { return this.iana.name; }
  override get isUniversal(): boolean { return false; }
  override get isValid(): boolean { return this.iana.isValid; }
  override offsetName(ts: number, opts: ZoneOffsetOptions): string | null { return this.iana.offsetName(ts, opts); }
  override formatOffset(ts: number, format: ZoneOffsetFormat): string { return this.iana.formatOffset(ts, format); }
  override equals(other: Zone): boolean { return other.type === 'iana' && other.name === this.name; }

  override offset(ts: number): number {
    const day = Math.floor(ts / DAY_MS);
    let steady = this.days.get(day);
    if (steady === undefined) {
      const atStart = this.iana.offset(day * DAY_MS);
      steady = atStart === this.iana.offset((day + 1) * DAY_MS) ? atStart : null;
      if (this.days.size > 50_000) this.days.clear();
      this.days.set(day, steady);
    }
    return steady ?? this.iana.offset(ts);
  }
}

const zones = new Map<string, Zone>();

/** The zone for an IANA name, cached; invalid names give an invalid zone. */
export function zoneOf(name: string): Zone {
  let zone = zones.get(name);
  if (!zone) {
    // luxon's own UTC zone, so ISO output says Z rather than +00:00.
    zone = name === 'UTC' ? FixedOffsetZone.utcInstance : new DayCachedZone(name);
    zones.set(name, zone);
  }
  return zone;
}
