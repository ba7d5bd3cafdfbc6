//go:build race

package werun

const raceEnabled = true
