package spectrum

import "math"

// Unit conversions every radio uses, with ns-3's formulas
// (src/wifi/model/wifi-utils.cc: DbToRatio, RatioToDb, DbmToW, WToDbm), so
// that results match ns-3 to the last bit. Keep one copy of them: radios
// import these rather than writing their own.

// DbToRatio converts a ratio in dB to a linear ratio: 10^(dB/10).
func DbToRatio(db float64) float64 { return math.Pow(10, 0.1*db) }

// RatioToDb converts a linear ratio to dB: 10·log10(ratio).
func RatioToDb(ratio float64) float64 { return 10 * math.Log10(ratio) }

// DbmToW converts a power in dBm to watts: 10^((dBm-30)/10).
func DbmToW(dbm float64) float64 { return math.Pow(10, 0.1*(dbm-30)) }

// WToDbm converts a power in watts to dBm: 10·log10(w) + 30.
func WToDbm(w float64) float64 { return 10*math.Log10(w) + 30 }
