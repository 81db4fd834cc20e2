package channelif

import (
	"encoding/json"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// netrlCase is one scenario of testdata/netrl/central_golden.json: a script
// of sends and channel arrivals, and the buffers NetRL's own CentralNode and
// ObservationBuffer produced for it (see testdata/netrl/gen_golden.py).
type netrlCase struct {
	BufferSize int                  `json:"buffer_size"`
	DelaySteps int                  `json:"delay_steps"`
	MaxPending int                  `json:"max_pending"`
	Sends      [][]bool             `json:"sends"`
	Arrivals   []map[string][]int64 `json:"arrivals"`
	Steps      [][]struct {
		Values  []float64 `json:"values"`
		Mask    []bool    `json:"mask"`
		Arrived bool      `json:"arrived"`
	} `json:"steps"`
}

func TestCentralNodeMatchesNetRL(t *testing.T) {
	data, err := os.ReadFile("testdata/netrl/central_golden.json")
	require.NoError(t, err)
	var cases []netrlCase
	require.NoError(t, json.Unmarshal(data, &cases))
	require.NotEmpty(t, cases)
	for ci, tc := range cases {
		t.Run(strconv.Itoa(ci), func(t *testing.T) {
			var chs []*scriptChannel
			var ids []string
			for n, arr := range tc.Arrivals {
				m := map[uint32][]uint32{}
				for k, v := range arr {
					s, err := strconv.Atoi(k)
					require.NoError(t, err)
					for _, id := range v {
						m[uint32(s)] = append(m[uint32(s)], uint32(id))
					}
				}
				chs = append(chs, &scriptChannel{arrivals: m})
				ids = append(ids, "n"+strconv.Itoa(n))
			}
			cfg := cfgWith(tc.BufferSize, tc.DelaySteps, tc.MaxPending)
			c, err := NewCentralNode[float64](ids, cfg, scriptFactory(chs...))
			require.NoError(t, err)
			for s, row := range tc.Steps {
				for n := range ids {
					if tc.Sends[n][s] {
						require.NoError(t, c.Send(n, uint32(s), float64(100*s+n), 64))
					}
				}
				require.NoError(t, c.FlushAndUpdate(uint32(s)))
				for n, want := range row {
					values, mask := c.Padded(n)
					require.Equal(t, want.Values, values, "case %d step %d node %d values", ci, s, n)
					require.Equal(t, want.Mask, mask, "case %d step %d node %d mask", ci, s, n)
					_, arrived := c.LastArrival(n)
					assert.Equal(t, want.Arrived, arrived, "case %d step %d node %d arrived", ci, s, n)
				}
			}
		})
	}
}
