package mapi

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/mapiemu/mapiemu/mapispi"
)

// Profile is the Go form of a MAPI profile: a named list of message
// services. A Profile is a plain value; [LoadProfile] and [Profile.Save]
// read and write it as JSON.
type Profile struct {
	Name     string
	Services []Service
}

// Service is a message service in a profile: its display name, the
// provider that implements it (a name registered in a [Registry], such as
// "msprovider.dll") and its profile section, which holds what the provider
// needs to log on (the store's unwrapped PR_ENTRYID, PR_DISPLAY_NAME, a
// saved password ...).
type Service struct {
	Name     string
	Provider string
	Props    []mapispi.PropValue
}

// Save writes p to w as JSON (indented, one property per line) that
// [LoadProfile] reads back. Properties in the secure range
// (mapispi.PropIDSecureMin to PropIDSecureMax, where providers keep
// passwords) are left out; use [Profile.SaveWithSecrets] to keep them. A
// value that has no JSON form (PT_OBJECT) or does not match its tag's type
// is an error wrapping mapispi.ErrBadValue, and nothing is written.
func (p Profile) Save(w io.Writer) error { return p.save(w, false) }

// SaveWithSecrets is [Profile.Save] keeping the secure properties too.
// The output then holds passwords in clear text.
func (p Profile) SaveWithSecrets(w io.Writer) error { return p.save(w, true) }

type jsonProfile struct {
	Name     string        `json:"name"`
	Services []jsonService `json:"services"`
}

type jsonService struct {
	Name     string     `json:"name"`
	Provider string     `json:"provider"`
	Props    []jsonProp `json:"props"`
}

// jsonProp is one property: the tag in hex, its name for people (ignored
// when read), and the value in the form its type calls for.
type jsonProp struct {
	Tag   string          `json:"tag"`
	Name  string          `json:"name,omitempty"`
	Value json.RawMessage `json:"value"`
}

func (p Profile) save(w io.Writer, secrets bool) error {
	jp := jsonProfile{Name: p.Name, Services: make([]jsonService, 0, len(p.Services))}
	for i, s := range p.Services {
		js := jsonService{Name: s.Name, Provider: s.Provider, Props: []jsonProp{}}
		for j, v := range s.Props {
			if !secrets && mapispi.IsSecure(v.Tag) {
				continue
			}
			raw, err := encodeValue(v)
			if err != nil {
				return profileError("Profile.Save", i, s.Name, j, v.Tag, err)
			}
			js.Props = append(js.Props, jsonProp{Tag: fmt.Sprintf("0x%08X", uint32(v.Tag)), Name: tagName(v.Tag), Value: raw})
		}
		jp.Services = append(jp.Services, js)
	}
	b, err := json.MarshalIndent(jp, "", "  ")
	if err != nil {
		return mapispi.Errorf(mapispi.ErrCallFailed, "mapi.Profile.Save", "%v", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// tagName is the tag's PR_ name, or "" when it has none.
func tagName(t mapispi.PropTag) string {
	if s := t.String(); !strings.HasPrefix(s, "0x") {
		return s
	}
	return ""
}

// LoadProfile reads a profile that [Profile.Save] wrote. Property values
// take the Go types their tags call for (see mapispi.PropValue). Malformed
// JSON, unknown fields, a null profile or list, a property name that
// names another property than its tag, and a value that does not fit its
// tag are errors wrapping mapispi.ErrCorruptData that name the service
// and property. An error never shows a value in the secure range
// (PROP_ID_SECURE_MIN to PROP_ID_SECURE_MAX), where passwords are kept.
func LoadProfile(r io.Reader) (Profile, error) {
	const op = "mapi.LoadProfile"
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	dec.UseNumber()
	var jp *jsonProfile
	if err := dec.Decode(&jp); err != nil {
		return Profile{}, mapispi.Errorf(mapispi.ErrCorruptData, op, "%v", err)
	}
	switch {
	case dec.More():
		return Profile{}, mapispi.Errorf(mapispi.ErrCorruptData, op, "data after the profile")
	case jp == nil:
		return Profile{}, mapispi.Errorf(mapispi.ErrCorruptData, op, "the profile is null, want an object with a name and services")
	case jp.Services == nil:
		return Profile{}, mapispi.Errorf(mapispi.ErrCorruptData, op, "profile %q: services is missing or null, want a list", jp.Name)
	}
	p := Profile{Name: jp.Name}
	for i, js := range jp.Services {
		if js.Props == nil {
			return Profile{}, mapispi.Errorf(mapispi.ErrCorruptData, op, "service %d (%q): props is missing or null, want a list", i, js.Name)
		}
		s := Service{Name: js.Name, Provider: js.Provider}
		for j, prop := range js.Props {
			n, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimPrefix(prop.Tag, "0x"), "0X"), 16, 32)
			if err != nil || !strings.HasPrefix(strings.ToLower(prop.Tag), "0x") {
				return Profile{}, profileError("LoadProfile", i, js.Name, j, 0, fmt.Errorf("tag %q is not a hex property tag such as 0x3001001F", prop.Tag))
			}
			tag := mapispi.PropTag(n)
			if err := checkName(tag, prop.Name); err != nil {
				return Profile{}, profileError("LoadProfile", i, js.Name, j, tag, err)
			}
			v, err := decodeValue(tag, prop.Value)
			if err != nil {
				if mapispi.IsSecure(tag) {
					err = fmt.Errorf("the value (not shown: a secure property) is not one of type %v", tag.Type())
				}
				return Profile{}, profileError("LoadProfile", i, js.Name, j, tag, err)
			}
			s.Props = append(s.Props, mapispi.PropValue{Tag: tag, Value: v})
		}
		p.Services = append(p.Services, s)
	}
	return p, nil
}

// checkName refuses a property name that names another property than
// tag. A name is for people; one this package does not know, beside a
// tag it does not name either, is accepted.
func checkName(tag mapispi.PropTag, name string) error {
	if name == "" {
		return nil
	}
	byName, known := mapispi.PropTagByName(name)
	switch want := tagName(tag); {
	case known && byName == tag, name == want:
		return nil
	case known:
		return fmt.Errorf("name %q is %v (0x%08X), but the tag is 0x%08X: one of the two is wrong", name, byName, uint32(byName), uint32(tag))
	case want != "":
		return fmt.Errorf("name %q is not the name of tag 0x%08X, %s: one of the two is wrong", name, uint32(tag), want)
	}
	return nil
}

func profileError(op string, i int, service string, j int, tag mapispi.PropTag, err error) error {
	code := mapispi.ErrCorruptData
	if op == "Profile.Save" {
		code = mapispi.ErrBadValue
	}
	where := fmt.Sprintf("service %d (%q), property %d", i, service, j)
	if tag != 0 {
		where += fmt.Sprintf(" (%v)", tag)
	}
	return mapispi.Errorf(code, "mapi."+op, "%s: %v", where, err)
}

// JSON forms of the property types. 64-bit integers are strings, so that
// JSON readers with float64 numbers lose nothing; floats that JSON cannot
// hold (NaN, infinities) are the strings "NaN", "+Inf" and "-Inf"; binary
// values are uppercase hex, as entry IDs print; PT_SYSTIME is RFC 3339 in
// UTC with nanoseconds; PT_CLSID is the registry form of the GUID; PT_ERROR
// is the SCode in hex.

func encodeValue(v mapispi.PropValue) (json.RawMessage, error) {
	if err := v.Check(); err != nil {
		return nil, err
	}
	t := v.Tag.Type()
	if t == mapispi.PtObject {
		return nil, errors.New("a PT_OBJECT value has no saved form")
	}
	if t.IsMultiValued() {
		var items []any
		switch x := v.Value.(type) {
		case []int16:
			items = each(x)
		case []int32:
			items = each(x)
		case []float32:
			items = each(x)
		case []float64:
			items = each(x)
		case []int64:
			items = each(x)
		case []string:
			items = each(x)
		case []time.Time:
			items = each(x)
		case []mapispi.UID:
			items = each(x)
		case [][]byte:
			items = each(x)
		}
		parts := make([]json.RawMessage, len(items))
		for i, item := range items {
			raw, err := encodeScalar(t.Base(), item)
			if err != nil {
				return nil, err
			}
			parts[i] = raw
		}
		return json.Marshal(parts)
	}
	return encodeScalar(t, v.Value)
}

func each[T any](s []T) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}

func encodeScalar(t mapispi.PropType, v any) (json.RawMessage, error) {
	switch x := v.(type) {
	case nil:
		return json.RawMessage("null"), nil
	case float32:
		return encodeFloat(float64(x), 32)
	case float64:
		return encodeFloat(x, 64)
	case int64:
		return json.Marshal(strconv.FormatInt(x, 10))
	case mapispi.SCode:
		return json.Marshal(fmt.Sprintf("0x%08X", uint32(x)))
	case time.Time:
		return json.Marshal(x.UTC().Format(time.RFC3339Nano))
	case mapispi.UID:
		return json.Marshal(x.String())
	case []byte:
		return json.Marshal(strings.ToUpper(hex.EncodeToString(x)))
	}
	return json.Marshal(v) // int16, int32, bool, string
}

func encodeFloat(f float64, bits int) (json.RawMessage, error) {
	switch {
	case math.IsNaN(f):
		return json.RawMessage(`"NaN"`), nil
	case math.IsInf(f, 1):
		return json.RawMessage(`"+Inf"`), nil
	case math.IsInf(f, -1):
		return json.RawMessage(`"-Inf"`), nil
	}
	return json.RawMessage(strconv.FormatFloat(f, 'g', -1, bits)), nil
}

func decodeValue(tag mapispi.PropTag, raw json.RawMessage) (any, error) {
	t := tag.Type()
	if !t.IsMultiValued() {
		return decodeScalar(t, raw)
	}
	var parts []json.RawMessage
	if err := strictUnmarshal(raw, &parts); err != nil {
		return nil, fmt.Errorf("%v wants a JSON array: %w", t, err)
	}
	base := t.Base()
	switch base {
	case mapispi.PtI2:
		return decodeEach[int16](base, parts)
	case mapispi.PtLong:
		return decodeEach[int32](base, parts)
	case mapispi.PtR4:
		return decodeEach[float32](base, parts)
	case mapispi.PtDouble, mapispi.PtAppTime:
		return decodeEach[float64](base, parts)
	case mapispi.PtCurrency, mapispi.PtI8:
		return decodeEach[int64](base, parts)
	case mapispi.PtString8, mapispi.PtUnicode:
		return decodeEach[string](base, parts)
	case mapispi.PtSysTime:
		return decodeEach[time.Time](base, parts)
	case mapispi.PtCLSID:
		return decodeEach[mapispi.UID](base, parts)
	case mapispi.PtBinary:
		return decodeEach[[]byte](base, parts)
	}
	return nil, fmt.Errorf("%v is not a property type a profile can hold", t)
}

func decodeEach[T any](base mapispi.PropType, parts []json.RawMessage) ([]T, error) {
	out := make([]T, len(parts))
	for i, raw := range parts {
		v, err := decodeScalar(base, raw)
		if err != nil {
			return nil, fmt.Errorf("value %d: %w", i, err)
		}
		out[i] = v.(T)
	}
	return out, nil
}

func strictUnmarshal(raw json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return dec.Decode(v)
}

func decodeScalar(t mapispi.PropType, raw json.RawMessage) (any, error) {
	var s string
	var num json.Number
	str := func() error { return strictUnmarshal(raw, &s) }
	number := func() error {
		if trimmed := bytes.TrimSpace(raw); len(trimmed) > 0 && trimmed[0] == '"' {
			return fmt.Errorf("%v wants a JSON number, not a string", t)
		}
		return strictUnmarshal(raw, &num)
	}
	switch t {
	case mapispi.PtNull:
		if string(bytes.TrimSpace(raw)) != "null" {
			return nil, errors.New("PT_NULL wants null")
		}
		return nil, nil
	case mapispi.PtI2:
		if err := number(); err != nil {
			return nil, err
		}
		n, err := strconv.ParseInt(num.String(), 10, 16)
		return int16(n), err
	case mapispi.PtLong:
		if err := number(); err != nil {
			return nil, err
		}
		n, err := strconv.ParseInt(num.String(), 10, 32)
		return int32(n), err
	case mapispi.PtR4, mapispi.PtDouble, mapispi.PtAppTime:
		bits := 64
		if t == mapispi.PtR4 {
			bits = 32
		}
		var text string
		if err := str(); err == nil {
			if s != "NaN" && s != "+Inf" && s != "-Inf" {
				return nil, fmt.Errorf("%v wants a number, \"NaN\", \"+Inf\" or \"-Inf\", not %q", t, s)
			}
			text = s
		} else if err := number(); err != nil {
			return nil, err
		} else {
			text = num.String()
		}
		f, err := strconv.ParseFloat(text, bits)
		if err != nil {
			return nil, err
		}
		if bits == 32 {
			return float32(f), nil
		}
		return f, nil
	case mapispi.PtCurrency, mapispi.PtI8:
		if err := str(); err != nil {
			return nil, fmt.Errorf("%v wants a decimal string: %w", t, err)
		}
		return strconv.ParseInt(s, 10, 64)
	case mapispi.PtError:
		if err := str(); err != nil {
			return nil, err
		}
		n, err := strconv.ParseUint(strings.TrimPrefix(s, "0x"), 16, 32)
		if err != nil || !strings.HasPrefix(s, "0x") {
			return nil, fmt.Errorf("PT_ERROR wants an SCode such as \"0x8004010F\", not %q", s)
		}
		return mapispi.SCode(n), nil
	case mapispi.PtBoolean:
		var b bool
		err := strictUnmarshal(raw, &b)
		return b, err
	case mapispi.PtString8, mapispi.PtUnicode:
		err := str()
		return s, err
	case mapispi.PtSysTime:
		if err := str(); err != nil {
			return nil, err
		}
		tm, err := time.Parse(time.RFC3339Nano, s)
		return tm.UTC(), err
	case mapispi.PtCLSID:
		if err := str(); err != nil {
			return nil, err
		}
		return mapispi.ParseUID(s)
	case mapispi.PtBinary, mapispi.PtSvrEID:
		if err := str(); err != nil {
			return nil, err
		}
		b, err := hex.DecodeString(s)
		if b == nil && err == nil {
			b = []byte{}
		}
		return b, err
	}
	return nil, fmt.Errorf("%v is not a property type a profile can hold", t)
}
