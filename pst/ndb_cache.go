package pst

import (
	"container/list"
	"sync"
)

// cache keeps the most recently used blocks (their decoded data, a
// []byte), B-tree pages (parsed, a *btPage) and the name-to-ID map (a
// map[uint16]mapispi.PropName), up to a number of bytes, whatever the
// size of the file.
type cache struct {
	mu    sync.Mutex
	max   int64
	used  int64
	lru   list.List // of *cacheEntry, most recent first
	items map[cacheKey]*list.Element
}

// cacheKey tells blocks (by BID) from pages (by offset) and from the
// values the messaging layer derives: page and block BIDs are counted
// apart and may be equal.
type cacheKey struct {
	kind cacheKind
	id   uint64
}

type cacheKind uint8

const (
	cacheBlock cacheKind = iota // id: the BID
	cachePage                   // id: the offset
	cacheNames                  // id: 0
)

type cacheEntry struct {
	key  cacheKey
	val  any    // as cache says, never modified
	tag  uint64 // a page's BID (checked on every hit), a block's offset
	cost int64
}

// cacheEntryOverhead is what an entry costs beyond its bytes.
const cacheEntryOverhead = 128

func newCache(max int64) *cache {
	if max < 0 {
		max = 0
	}
	return &cache{max: max, items: make(map[cacheKey]*list.Element)}
}

// get returns the entry's value and tag; the caller must not modify
// the value.
func (c *cache) get(k cacheKey) (any, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[k]
	if !ok {
		return nil, 0, false
	}
	c.lru.MoveToFront(e)
	ce := e.Value.(*cacheEntry)
	return ce.val, ce.tag, true
}

// put keeps val, which holds size bytes and which nobody may modify
// from then on, evicting the least recently used entries to stay
// within max.
func (c *cache) put(k cacheKey, val any, size int, tag uint64) {
	cost := int64(size) + cacheEntryOverhead
	if cost > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[k]; ok {
		return // a concurrent reader was first
	}
	for c.used+cost > c.max {
		last := c.lru.Back()
		ce := c.lru.Remove(last).(*cacheEntry)
		delete(c.items, ce.key)
		c.used -= ce.cost
	}
	c.items[k] = c.lru.PushFront(&cacheEntry{key: k, val: val, tag: tag, cost: cost})
	c.used += cost
}

// size returns the bytes held and the number of entries.
func (c *cache) size() (int64, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used, len(c.items)
}
