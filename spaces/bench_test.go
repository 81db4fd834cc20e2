package spaces

import "testing"

func benchValue() Value {
	return NewDictValue().
		Set("obs", UintBox(1, 2, 3, 4, 5)).
		Set("reward", DoubleBox(0.5)).
		Set("hist", FloatBox(make([]float32, 64)...))
}

func BenchmarkEncodedSize(b *testing.B) {
	v := benchValue()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := EncodedSize(v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendEncode(b *testing.B) {
	v := benchValue()
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := AppendEncode(buf[:0], v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	data, err := Encode(benchValue())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(nil, data); err != nil {
			b.Fatal(err)
		}
	}
}
