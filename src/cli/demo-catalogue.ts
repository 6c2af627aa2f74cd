/** The seed catalogue of event types `hookrelay demo` registers, with a sample payload each. */
export const DEMO_EVENT_TYPES: ReadonlyArray<{
  name: string;
  description: string;
  sample: (i: number) => Record<string, unknown>;
}> = [
  {
    name: 'user.registered',
    description: 'A user created an account.',
    sample: (i) => ({ userId: `u_${i}`, email: `user${i}@example.com` }),
  },
  {
    name: 'payment.succeeded',
    description: 'A payment was captured.',
    sample: (i) => ({ paymentId: `pay_${i}`, amount: 1000 + i, currency: 'EUR' }),
  },
  {
    name: 'content.updated',
    description: 'A piece of content changed.',
    sample: (i) => ({ contentId: `c_${i}`, revision: i }),
  },
  {
    name: 'form.submitted',
    description: 'A form was submitted.',
    sample: (i) => ({ formId: 'contact', submissionId: `s_${i}` }),
  },
  { name: 'issue.created', description: 'An issue was opened.', sample: (i) => ({ issueId: i, title: `Issue ${i}` }) },
  {
    name: 'file.uploaded',
    description: 'A file was uploaded.',
    sample: (i) => ({ fileId: `f_${i}`, bytes: 2048 * i }),
  },
  {
    name: 'inventory.updated',
    description: 'Stock of an item changed.',
    sample: (i) => ({ sku: `SKU-${i % 7}`, quantity: 100 - i }),
  },
  {
    name: 'auth.login',
    description: 'A user logged in.',
    sample: (i) => ({ userId: `u_${i % 5}`, ip: '203.0.113.7' }),
  },
  {
    name: 'auth.password_changed',
    description: 'A user changed their password.',
    sample: (i) => ({ userId: `u_${i % 5}` }),
  },
];
