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
		{[]string{"-distance", "10", "-episodes", "2"}, "10 100 100", false},
		{[]string{"-distance", "80", "-agent", "random", "-episodes", "0"}, "80 0 100 0s 0.0000", false},
		{[]string{"-distance", "ten"}, "", true},
		{[]string{"-distance", "-5"}, "", true},
		{[]string{"-retries", "0"}, "", true},
		{[]string{"-agent", "a2c"}, "", true},
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
