import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rejectionOf } from './rejection.js';
import { createWebhookVerifier, type VerifyOptions } from './verify.js';
import { readWebhookHeaders } from './webhook-headers.js';

export interface HookrelayExpressOptions extends VerifyOptions {
  /**
   * Largest body read when no body parser ran before the middleware; larger ones get 413.
   * Twice Hookrelay's 1 MiB payload cap. (Default: 2 MiB)
   */
  limitBytes?: number;
}

class BodyTooLarge extends Error {}

function readRawBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        req.removeAllListeners('data');
        req.resume(); // drain the rest so the 413 can be sent on a healthy connection
        reject(new BodyTooLarge());
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Express (5) middleware that verifies a Hookrelay / Standard Webhooks delivery.
 *
 * It needs the body exactly as sent. Either mount `express.raw({ type: 'application/json' })`
 * before it, or no body parser at all (it then reads the body itself). `express.json()` before
 * it cannot work: the re-serialised JSON no longer matches the signature.
 *
 * On success `req.body` is the parsed payload and `res.locals.webhookId` the `webhook-id`;
 * on failure it answers 401 `{code, detail}` with the reason and the handler never runs.
 */
export function hookrelayExpress(secret: string, options: HookrelayExpressOptions = {}): RequestHandler {
  const verify = createWebhookVerifier(secret, options);
  const limitBytes = options.limitBytes ?? 2 * 1024 * 1024;

  return async (req: Request, res: Response, next: NextFunction) => {
    let raw: Buffer | string;
    if (Buffer.isBuffer(req.body) || typeof req.body === 'string') {
      raw = req.body;
    } else if (req.body === undefined && !req.readableEnded) {
      try {
        raw = await readRawBody(req, limitBytes);
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) return next(error);
        res.status(413).json({ code: 'payload_too_large', detail: `body larger than ${limitBytes} bytes` });
        return;
      }
    } else if (req.body === undefined) {
      raw = '';
    } else {
      return next(
        new Error(
          'hookrelayExpress needs the raw body: mount express.raw({ type: "application/json" }) before it, not express.json()',
        ),
      );
    }

    let payload: unknown;
    try {
      payload = verify(raw, req.headers);
    } catch (error) {
      const rejection = rejectionOf(error);
      if (!rejection) return next(error);
      res.status(rejection.status).json(rejection.body);
      return;
    }
    req.body = payload;
    res.locals.webhookId = readWebhookHeaders(req.headers).id;
    next();
  };
}
