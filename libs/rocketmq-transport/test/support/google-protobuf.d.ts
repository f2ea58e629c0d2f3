/**
 * google-protobuf comes with the official client but without types; the codec spec builds reference
 * messages with the client's generated classes and needs only this much of it.
 */
declare module 'google-protobuf/google/protobuf/timestamp_pb' {
  export class Timestamp {
    static fromDate(date: Date): Timestamp;
    toDate(): Date;
  }
}
