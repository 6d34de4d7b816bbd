package mapiutil

// SetLogMin sets the fewest changes td logs for its views without sinks
// before it drops the log (minLog otherwise), so that a test reaches a
// rebuild with few changes, or never reaches one.
func SetLogMin(td *TableData, n int) {
	td.mu.Lock()
	td.logMin = n
	td.mu.Unlock()
}

// Lag reports how many changes v has yet to apply, and whether it will
// rebuild instead of applying them from the log.
func Lag(v *View) (int, bool) {
	td := v.td
	td.mu.Lock()
	defer td.mu.Unlock()
	if v.closed || len(v.sinks) > 0 {
		return 0, false
	}
	return int(td.chg - v.seen), v.seen < td.logBase
}

// LogLen is how many changes td's log holds.
func LogLen(td *TableData) int {
	td.mu.Lock()
	defer td.mu.Unlock()
	return len(td.log)
}
