import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';

/** What a backend's store is opened with. */
export interface StoreOptions {
  /** 32 bytes that encrypt webhook signing secrets at rest; null or absent: they are stored as they are. */
  secretKey?: Buffer | null;
}

/**
 * Encrypts the webhook signing secrets the store keeps (they must stay readable: every delivery is signed with
 * them). AES-256-GCM with a random nonce; the row's id is bound in as associated data, so a sealed value copied
 * to another row does not open. Values stored before a key was configured stay readable as they are and are
 * sealed when next written (an update or a rotation).
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the secret key must be 32 bytes');
  }

  seal(plain: string, rowId: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce).setAAD(Buffer.from(rowId));
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${[nonce, cipher.getAuthTag(), sealed].map((b) => b.toString('base64url')).join('.')}`;
  }

  open(stored: string, rowId: string): string {
    const [nonce, tag, sealed] = stored.slice(PREFIX.length).split('.').map((part) => Buffer.from(part, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', this.key, nonce!).setAAD(Buffer.from(rowId));
    decipher.setAuthTag(tag!);
    try {
      return Buffer.concat([decipher.update(sealed!), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(`cannot decrypt the stored secret of ${rowId}: CONSENTRY_SECRET_KEY is not the key it was sealed with`);
    }
  }
}

/** A stored secret as the domain needs it: opened when sealed, as it is when it predates the key. */
export function openSecret(stored: string, rowId: string, box: SecretBox | null): string {
  if (!stored.startsWith(PREFIX)) return stored;
  if (!box) throw new Error(`the stored secret of ${rowId} is encrypted: set CONSENTRY_SECRET_KEY or CONSENTRY_SECRET_KEY_FILE`);
  return box.open(stored, rowId);
}

/** A secret as the store writes it: sealed when a key is configured. */
export const sealSecret = (plain: string, rowId: string, box: SecretBox | null): string => (box ? box.seal(plain, rowId) : plain);
