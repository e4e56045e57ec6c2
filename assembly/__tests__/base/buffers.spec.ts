import { hostAlloc, hostFree, allocations } from "../../base/buffers";

describe("the shipper's slots", () => {
  it("serve the tag and the record from the same two slots, record after record", () => {
    const tag = hostAlloc(7);
    const record = hostAlloc(120);
    hostFree(tag);
    hostFree(record);
    const before = allocations;
    for (let i = 0; i < 10; i++) {
      expect(hostAlloc(7)).toBe(tag);
      expect(hostAlloc(100 + i)).toBe(record);
      hostFree(tag);
      hostFree(record);
    }
    expect(allocations).toBe(before);
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
