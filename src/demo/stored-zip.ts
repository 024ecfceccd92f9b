// A zip of stored (uncompressed) members written by hand, for the demo's wheel (startup-code-demo.ts)
// without yazl, a development dependency only: local headers, the central directory and its end
// record (APPNOTE 4.3), CRC-32 from node:zlib, 1980-01-01 times, 0644 files made on Unix. Each
// member's name is the bytes given, with the general-purpose flags and central-directory extra
// fields given, so that a test can also write the names a real zip tool would refuse.
import { crc32 } from 'node:zlib';

export interface StoredMember {
  name: Buffer;
  data?: Buffer;
  /** General-purpose bit flags (0x0800: the name is UTF-8). */
  flags?: number;
  /** Central-directory extra fields, already encoded. */
  extra?: Buffer;
}

/** General-purpose flag: the member's name is UTF-8. */
export const UTF8_NAME_FLAG = 0x0800;

export function storedZip(members: readonly StoredMember[]): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const { name, data = Buffer.alloc(0), flags = 0, extra = Buffer.alloc(0) } of members) {
    const crc = crc32(data) >>> 0;
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4); // version needed
    header.writeUInt16LE(flags, 6);
    header.writeUInt16LE(0, 8); // stored
    header.writeUInt32LE(0x00210000, 10); // 1980-01-01 00:00
    header.writeUInt32LE(crc, 14);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(data.length, 22);
    header.writeUInt16LE(name.length, 26);
    header.writeUInt16LE(0, 28);
    local.push(header, name, data);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(0x0314, 4); // made by: unix, 2.0
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(flags, 8);
    entry.writeUInt16LE(0, 10);
    entry.writeUInt32LE(0x00210000, 12);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt16LE(extra.length, 30);
    entry.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: a 0644 file
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name, extra);
    offset += header.length + name.length + data.length;
  }
  const centralBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(centralBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, centralBytes, end]);
}
