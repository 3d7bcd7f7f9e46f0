/**
 * Object-created events in the two shapes a trigger handler receives: S3
 * notification records (the local S3 emulator, and S3 → Lambda notifications)
 * and EventBridge "Object Created" events (how the CDK app routes bucket
 * events to functions in another stack; see infra/stacks/events-stack.ts).
 */
export interface CreatedObject {
  bucket: string;
  /** Decoded: as stored. */
  key: string;
  size: number;
  /** Present when the bucket is versioned (on AWS): the exact upload to check. */
  versionId?: string;
}

interface S3NotificationEvent {
  Records: { eventName?: string; s3: { bucket: { name: string }; object: { key: string; size?: number; versionId?: string } } }[];
}

interface EventBridgeObjectCreated {
  source: 'aws.s3';
  'detail-type': 'Object Created';
  detail: { bucket: { name: string }; object: { key: string; size?: number; 'version-id'?: string } };
}

/** S3 notifications URL-encode keys, with '+' for spaces. */
const decodeNotificationKey = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));

export function createdObjects(event: unknown): CreatedObject[] {
  const notification = event as Partial<S3NotificationEvent>;
  if (Array.isArray(notification.Records)) {
    return notification.Records.filter((record) => record.eventName?.startsWith('ObjectCreated:') ?? true).map(
      (record) => ({
        bucket: record.s3.bucket.name,
        key: decodeNotificationKey(record.s3.object.key),
        size: record.s3.object.size ?? 0,
        ...(record.s3.object.versionId ? { versionId: record.s3.object.versionId } : {}),
      }),
    );
  }
  const bridged = event as Partial<EventBridgeObjectCreated>;
  if (bridged.source === 'aws.s3' && bridged['detail-type'] === 'Object Created' && bridged.detail) {
    const { bucket, object } = bridged.detail;
    return [
      {
        bucket: bucket.name,
        // Used as it comes: keys the platform writes are alphanumerics and '/', the same encoded or not.
        key: object.key,
        size: object.size ?? 0,
        ...(object['version-id'] ? { versionId: object['version-id'] } : {}),
      },
    ];
  }
  throw new Error('not an S3 object-created event');
}
