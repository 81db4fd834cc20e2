package wifi

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDistances(t *testing.T) {
	tests := []struct {
		list   string
		n      int
		want   []float64
		errMsg string
	}{
		{"10.0", 2, []float64{10, 10}, ""},
		{"30.0,30.0", 2, []float64{30, 30}, ""},
		{"10,30,60", 3, []float64{10, 30, 60}, ""},
		{"10,30", 4, []float64{10, 30, 30, 30}, ""},
		{"10,30,60", 2, []float64{10, 30}, ""},
		{" 5 , 7.5 ", 3, []float64{5, 7.5, 7.5}, ""},
		{"1e1", 1, []float64{10}, ""},
		{"", 2, nil, "empty list"},
		{"  ", 2, nil, "empty list"},
		{"10,,20", 2, nil, `item 2 of "10,,20" is empty`},
		{"10,", 2, nil, "is empty"},
		{"ten", 1, nil, `"ten" is not a number`},
		{"NaN", 1, nil, "not a number"},
		{"Inf", 1, nil, "not a number"},
		{"0", 1, nil, "0 must be > 0"},
		{"-5", 1, nil, "-5 must be > 0"},
		{"10", 0, nil, "0 UEs"},
	}
	for _, tt := range tests {
		t.Run(tt.list, func(t *testing.T) {
			got, err := ParseDistances(tt.list, tt.n)
			if tt.errMsg != "" {
				require.ErrorContains(t, err, tt.errMsg)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}
