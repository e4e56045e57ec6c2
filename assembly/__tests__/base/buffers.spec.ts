import { hostAlloc, hostFree, allocationCount, sameBytes } from "../../base/buffers";

describe("the shipper's slots", () => {
  it("serve the tag and the record from the same two slots, record after record", () => {
    const tag = hostAlloc(7);
    const record = hostAlloc(120);
    hostFree(tag);
    hostFree(record);
    const before = allocationCount();
    for (let i = 0; i < 10; i++) {
      expect(hostAlloc(7)).toBe(tag);
      expect(hostAlloc(100 + i)).toBe(record);
      hostFree(tag);
      hostFree(record);
    }
    expect(allocationCount()).toBe(before);
  });

  it("take the smallest free slot that fits, and resize the largest free one when none fits", () => {
    const tag = hostAlloc(7);
    const large = hostAlloc(5000); // no free slot fits: the record's slot (the largest free) grows
    const record = hostAlloc(120); // a slot not used before
    hostFree(large);
    hostFree(record);
    expect(hostAlloc(110)).toBe(record);
    expect(hostAlloc(4000)).toBe(large);
    hostFree(tag);
    hostFree(record);
    hostFree(large);
  });

  it("serve more live allocations than slots from the heap, and ignore a slot freed twice", () => {
    const live = new StaticArray<usize>(6);
    for (let i = 0; i < 6; i++) live[i] = hostAlloc(<usize>(16 << i));
    for (let i = 0; i < 6; i++) for (let j = 0; j < i; j++) expect(live[i]).not.toBe(live[j]);
    for (let i = 0; i < 6; i++) hostFree(live[i]);
    const again = hostAlloc(16);
    hostFree(again);
    hostFree(again);
    expect(hostAlloc(16)).toBe(again);
    expect(hostAlloc(16)).not.toBe(again);
  });
});

describe("sameBytes", () => {
  it("tells equal runs from runs that differ in any one byte, at every length to 40", () => {
    const a = memory.data(48);
    const b = memory.data(48);
    for (let i: usize = 0; i < 48; i++) {
      store<u8>(a + i, <u8>(i * 7 + 1));
      store<u8>(b + i, <u8>(i * 7 + 1));
    }
    for (let n: usize = 0; n <= 40; n++) {
      expect(sameBytes(a, b, n)).toBe(true);
      for (let at: usize = 0; at < n; at++) {
        store<u8>(b + at, load<u8>(b + at) ^ 0x20);
        expect(sameBytes(a, b, n)).toBe(false);
        store<u8>(b + at, load<u8>(b + at) ^ 0x20);
      }
      // A byte past the end does not count.
      store<u8>(b + n, 0xff);
      expect(sameBytes(a, b, n)).toBe(true);
      store<u8>(b + n, load<u8>(a + n));
    }
  });
});
