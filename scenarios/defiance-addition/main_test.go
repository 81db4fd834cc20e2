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
		{[]string{"-agent", "qlearning", "-episodes", "2"}, "greedy mean reward 1.0000", false},
		{[]string{"-agent", "random", "-episodes", "0"}, "greedy mean reward 0.0", false},
		{[]string{"-agent", "sarsa"}, "", true},
		{[]string{"-pairs", "0"}, "", true},
		{[]string{"-bogus"}, "", true},
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
