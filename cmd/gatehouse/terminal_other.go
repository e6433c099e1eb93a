//go:build !linux

package main

// takeTerminal is a Linux nicety (see terminal_linux.go).
func takeTerminal() (restore func()) { return func() {} }
