// The normalized description of what to read: every format and adapter reduces to a ReadPlan, SQL over the
// source's columns per canonical field, so staging, validation and encoding are written once.
import type { TimeRange } from '../scenario/types.ts';

/** Canonical fields of a log (the header `recgap generate` writes). */
export const FIELDS = ['time', 'person', 'key', 'login', 'channel', 'session', 'item', 'event', 'value'] as const;
export type Field = (typeof FIELDS)[number];

/** Identity signals a log may carry for `identity: graph` (EventLog.signals), read as text ids. */
export const SIGNAL_FIELDS = ['ip', 'userAgent', 'geo'] as const;
export type SignalField = (typeof SIGNAL_FIELDS)[number];

export type TimeUnit = 'iso' | 's' | 'ms';

/** A column of the source as DuckDB describes it. */
export interface SourceColumn {
  readonly name: string;
  /** DuckDB type name, e.g. VARCHAR, BIGINT, TIMESTAMP. */
  readonly type: string;
}

/**
 * How the 1-based record numbers DuckDB gives become the numbers a report shows: physical lines of a text
 * file (blank lines and multi-line quoted fields accounted for, see recordLines.ts), or the record numbers
 * themselves. `breaks`: SQL giving, per record in file order, the line breaks inside its values (a DOUBLE
 * column), without logging rejects again; null when no value can hold one (JSON lines).
 */
export type Numbering =
  | { readonly kind: 'lines'; readonly headerLines: number; readonly delimiter: string | null; readonly breaks: string | null }
  | { readonly kind: 'records' };

/** The source as DuckDB reads it. */
export interface Relation {
  /** SQL FROM item: a table function call or a subquery. */
  readonly from: string;
  /**
   * SQL expression for the record's 1-based number, for sources whose records hold several events (OTTO
   * sessions); null when each row is one record, numbered by its position in the (order-preserving) stream.
   */
  readonly rn: string | null;
  readonly columns: readonly SourceColumn[];
  readonly numbering: Numbering;
  /** True when malformed rows are skipped by the reader and logged in DuckDB's `reject_errors` table (CSV). */
  readonly rejects: boolean;
}

/** Time as SQL: `ms` is DOUBLE epoch milliseconds or NULL when unparseable; `raw` is the text for messages. */
export interface TimeSql {
  readonly ms: string;
  readonly raw: string;
  readonly unit: TimeUnit;
  /**
   * Times (in ms, as read) whose magnitude disagrees with the unit detected for the column: rows in
   * [fromMs, toMs) are dropped with `reason` (timeUnit.ts). Absent for ISO text and for a unit the scenario gives.
   */
  readonly mismatch?: { readonly fromMs: number; readonly toMs: number; readonly reason: string };
}

/** A reason specific to one source, tested before the generic ones (e.g. cancelled invoices). */
export interface Drop {
  /** SQL boolean over the source's columns. */
  readonly when: string;
  readonly reason: string;
  /** Column and SQL value to name in a strict-mode message. */
  readonly column: string;
  readonly value: string;
}

/** What to stage, per canonical field; SQL expressions over the relation's columns, null when absent. */
export interface ReadPlan {
  readonly relation: Relation;
  readonly time: TimeSql;
  /** Person id as VARCHAR; NULL on a row = unknown person. */
  readonly person: string | null;
  /** Key id as VARCHAR; null = the key is the person (one dictionary for both). */
  readonly key: string | null;
  readonly login: string | null;
  readonly channel: string | null;
  /** Session id as VARCHAR; null = sessions come from inactivity gaps. */
  readonly session: string | null;
  readonly item: string;
  /** Raw event value and the map to canonical names (null = keep raw), or one constant type for every row. */
  readonly event: { readonly raw: string; readonly map: Readonly<Record<string, string>> | null } | { readonly constant: string };
  /** Value as DOUBLE (NULL when unparseable) and its raw text; null = every value is 1. */
  readonly value: { readonly num: string; readonly raw: string } | null;
  readonly drops: readonly Drop[];
  /** Identity signal ids as VARCHAR (NULL on a row = absent), for the signals the source has; none when omitted. */
  readonly signals?: Readonly<Partial<Record<SignalField, string>>>;
  /** data.timeRange: rows with a time outside [fromMs, toMs) are dropped; absent or null = every time. */
  readonly timeRange?: TimeRange | null;
  /** Source column behind each field, named in strict-mode messages. */
  readonly columnOf: Readonly<Partial<Record<Field, string>>>;
}
