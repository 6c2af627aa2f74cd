import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Encrypts endpoint secrets at rest with AES-256-GCM. Stored form: `v1:` + base64(iv|tag|ciphertext).
 * The key comes from HOOKRELAY_ENCRYPTION_KEY or a file generated into the data dir
 * (see src/server/encryption-key.ts).
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
    this.key = key;
  }

  static random(): SecretBox {
    return new SecretBox(randomBytes(32));
  }

  /** The raw key, for a thread that opens a box of its own (the SQLite store thread). */
  exportKey(): Buffer {
    return Buffer.from(this.key);
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return 'v1:' + Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
  }

  open(sealed: string): string {
    if (!sealed.startsWith('v1:')) throw new Error('unknown sealed secret format');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
