/**
 * The payload every scenario sends: a realistic small event (~330 bytes of JSON) with the
 * producer's send time embedded, so the receiver measures ingest→receipt on one clock.
 */
const FILLER = 'x'.repeat(200);

export function benchPayload(sentAt: number, seq = 0): string {
  return JSON.stringify(benchPayloadObject(sentAt, seq));
}

export function benchPayloadObject(sentAt: number, seq = 0) {
  return {
    type: 'invoice.paid',
    sentAt,
    seq,
    data: { id: `in_${seq}`, customer: 'cus_bench', amount: 4200, currency: 'eur', note: FILLER },
  };
}
