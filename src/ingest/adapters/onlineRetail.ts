// UCI Online Retail: one row per invoice line, `InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,
// CustomerID,Country`, plain or gzipped. Each line is a purchase of StockCode valued Quantity * UnitPrice.
// Rows without CustomerID are guest checkouts: person unknown, key `guest:<InvoiceNo>` (one key per checkout).
// Rows that are not sales are dropped under their own reasons: cancellations (InvoiceNo C...), bad-debt
// adjustments (InvoiceNo A...) and stock corrections logged with a non-positive quantity.
import { csvRelation } from '../formats/csv.ts';
import { idSql } from '../genericPlan.ts';
import { ident } from '../sql.ts';
import { requireColumns, type Adapter } from './adapter.ts';

const GUEST_KEY_PREFIX = 'guest:';

export const ONLINE_RETAIL_DROPS = {
  cancellation: 'cancelled invoice (InvoiceNo starts with C)',
  adjustment: 'bad-debt adjustment (InvoiceNo starts with A)',
  nonPositive: 'non-positive quantity (stock correction)',
} as const;

const COLUMNS = ['InvoiceNo', 'StockCode', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID'] as const;

/**
 * @example
 * const { log, report } = await readLog({ ...spec, format: 'online-retail', path: 'online_retail.csv.gz' });
 * report.anonymousEvents; // guest checkouts kept, with unknown person
 */
export const onlineRetail: Adapter = {
  async plan(duck, spec) {
    const relation = await csvRelation(duck, spec.path, { delimiter: ',' });
    requireColumns(spec.path, 'online-retail', relation, COLUMNS);
    const invoice = ident('InvoiceNo');
    const quantity = ident('Quantity');
    const date = ident('InvoiceDate');
    // Some copies of the data set store CustomerID as a float ("17850.0") and dates as "12/1/2010 8:26".
    const person = `regexp_replace(${idSql('CustomerID')}, '\\.0$', '')`;
    return {
      relation,
      time: {
        ms: `CAST(epoch_ms(coalesce(TRY_CAST(${date} AS TIMESTAMPTZ), CAST(try_strptime(${date}, '%m/%d/%Y %H:%M') AS TIMESTAMPTZ))) AS DOUBLE)`,
        raw: date,
        unit: 'iso',
      },
      person,
      key: `coalesce(${person}, '${GUEST_KEY_PREFIX}' || ${invoice})`,
      login: null,
      channel: null,
      session: null,
      item: idSql('StockCode'),
      event: { constant: 'purchase' },
      value: {
        num: `TRY_CAST(${quantity} AS DOUBLE) * TRY_CAST(${ident('UnitPrice')} AS DOUBLE)`,
        raw: `NULLIF(concat_ws(' x ', ${quantity}, ${ident('UnitPrice')}), '')`,
      },
      drops: [
        { when: `starts_with(${invoice}, 'C')`, reason: ONLINE_RETAIL_DROPS.cancellation, column: 'InvoiceNo', value: invoice },
        { when: `starts_with(${invoice}, 'A')`, reason: ONLINE_RETAIL_DROPS.adjustment, column: 'InvoiceNo', value: invoice },
        { when: `TRY_CAST(${quantity} AS DOUBLE) <= 0`, reason: ONLINE_RETAIL_DROPS.nonPositive, column: 'Quantity', value: quantity },
      ],
      columnOf: { time: 'InvoiceDate', person: 'CustomerID', item: 'StockCode', value: 'Quantity x UnitPrice' },
    };
  },
};
