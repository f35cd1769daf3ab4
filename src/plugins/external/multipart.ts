import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';

/**
 * multipart/form-data for the routes registered in the calling scope only (not wrapped in
 * fastify-plugin: every other route keeps answering 415 to anything but JSON). Parts are streamed
 * (`request.parts()`), never buffered whole; a file part over `maxUploadSize` bytes is an error.
 * Registered after jsonBodies (which clears every parser of the root scope).
 */
export async function acceptMultipart(app: FastifyInstance, maxUploadSize: number): Promise<void> {
  await app.register(multipart, {
    limits: { fileSize: maxUploadSize, files: 1_000, fields: 100, parts: 1_100, fieldSize: 1024 * 1024, headerPairs: 200 },
    throwFileSizeLimit: true,
  });
}
