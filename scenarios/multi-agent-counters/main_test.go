package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	tests := []struct {
		args    []string
		want    string
		wantErr bool
	}{
		{[]string{"-episodes", "200", "-eval", "1", "-agents", "2"}, "evaluation: mean final |counter|", false},
		{[]string{"-agent", "random", "-episodes", "0"}, "evaluation: start", false},
		{[]string{"-agents", "0"}, "", true},
		{[]string{"-agent", "ppo"}, "", true},
		{[]string{"-delay-ms", "-1"}, "", true},
	}
	for _, tc := range tests {
		var out, diag bytes.Buffer
		err := run(tc.args, &out, &diag)
		if tc.wantErr {
			assert.Error(t, err, tc.args)
			continue
		}
		require.NoError(t, err, tc.args)
		assert.Contains(t, out.String(), tc.want, tc.args)
	}
}
