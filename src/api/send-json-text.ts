import type { FastifyReply } from 'fastify';

/** Replies `status` with `json`, a body already serialised: Fastify sends a string typed as JSON as it is. */
export function sendJsonText(reply: FastifyReply, status: number, json: string): FastifyReply {
  return reply.code(status).type('application/json').send(json);
}
