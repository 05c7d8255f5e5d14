package chunk

import "testing"

// FuzzReader: any bytes are read without a panic; a chunk read to its end
// is exactly its records, back to back; every body can be iterated and
// converted.
func FuzzReader(f *testing.F) {
	var good []byte
	good = newRecord(good, 1, 2, "first line")
	good = oldRecord(good, 3, 4, "second")
	f.Add(good)
	f.Add(newRecord(nil, 0xFFFFFFFF, 0, ""))
	f.Add([]byte{0x92, 0x92, 0xd7, 0x00, 0, 0, 0, 1, 0, 0, 0, 2, 0xdf, 0, 0, 0, 0, 0xdf, 0, 0, 0, 1, 0xa3, 'l', 'o', 'g', 0xa1, 'x'})
	f.Add([]byte{0x92, 0x92, 0xc7, 0x08, 0x00, 0, 0, 0, 1, 0, 0, 0, 2, 0xc0, 0x80})
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(data)
		end := 0
		for r.Next() {
			rec := r.Record()
			if rec.Offset != end {
				t.Fatalf("record %d at %d, previous ended at %d", rec.Index, rec.Offset, end)
			}
			end += len(rec.Raw)
			it := NewMapIter(rec.Body)
			for it.Next() {
				Text(it.Value())
			}
			if _, _, err := AppendJSON(nil, rec.Body); err != nil && it.Err() == nil {
				t.Fatalf("record %d: body iterated but not converted: %v", rec.Index, err)
			}
		}
		if r.Err() == nil && end != len(data) {
			t.Fatalf("clean end at %d of %d bytes", end, len(data))
		}
	})
}
