package mapi_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
)

func tag(t mapispi.PropType, id uint16) mapispi.PropTag { return mapispi.NewPropTag(t, id) }

// everyType has a value of each property type a profile can hold.
func everyType() []mapispi.PropValue {
	uid := mapispi.MustParseUID("{10BBA138-E505-1A10-A1BB-08002B2A56C2}")
	when := time.Date(2024, 5, 1, 10, 0, 0, 123456700, time.UTC)
	return []mapispi.PropValue{
		{Tag: tag(mapispi.PtNull, 0x6601), Value: nil},
		{Tag: tag(mapispi.PtI2, 0x6602), Value: int16(-32768)},
		{Tag: tag(mapispi.PtLong, 0x6603), Value: int32(-2147483648)},
		{Tag: tag(mapispi.PtR4, 0x6604), Value: float32(0.1)},
		{Tag: tag(mapispi.PtDouble, 0x6605), Value: 1e308},
		{Tag: tag(mapispi.PtCurrency, 0x6606), Value: int64(math.MaxInt64)},
		{Tag: tag(mapispi.PtAppTime, 0x6607), Value: 45000.25},
		{Tag: tag(mapispi.PtError, 0x6608), Value: mapispi.ErrNotFound},
		{Tag: tag(mapispi.PtBoolean, 0x6609), Value: true},
		{Tag: tag(mapispi.PtI8, 0x660A), Value: int64(math.MinInt64)},
		{Tag: tag(mapispi.PtString8, 0x660B), Value: "Zoë"},
		{Tag: mapispi.PropDisplayName, Value: "Ann's \"store\" ✓"},
		{Tag: tag(mapispi.PtSysTime, 0x660C), Value: when},
		{Tag: tag(mapispi.PtCLSID, 0x660D), Value: uid},
		{Tag: mapispi.PropEntryID, Value: []byte{0, 0, 0, 0, 0xAB}},
		{Tag: tag(mapispi.PtBinary, 0x660E), Value: []byte{}},
		{Tag: tag(mapispi.PtSvrEID, 0x660F), Value: []byte{1, 2}},
		{Tag: tag(mapispi.PtDouble, 0x6610), Value: math.Inf(-1)},
		{Tag: tag(mapispi.PtR4, 0x6611), Value: float32(math.Inf(1))},
		{Tag: tag(mapispi.MVFlag|mapispi.PtI2, 0x6620), Value: []int16{1, -2}},
		{Tag: tag(mapispi.MVFlag|mapispi.PtLong, 0x6621), Value: []int32{7}},
		{Tag: tag(mapispi.MVFlag|mapispi.PtR4, 0x6622), Value: []float32{1.5, -0.25}},
		{Tag: tag(mapispi.MVFlag|mapispi.PtDouble, 0x6623), Value: []float64{math.Pi}},
		{Tag: tag(mapispi.MVFlag|mapispi.PtCurrency, 0x6624), Value: []int64{-1, 1 << 62}},
		{Tag: tag(mapispi.MVFlag|mapispi.PtAppTime, 0x6625), Value: []float64{}},
		{Tag: tag(mapispi.MVFlag|mapispi.PtI8, 0x6626), Value: []int64{42}},
		{Tag: tag(mapispi.MVFlag|mapispi.PtString8, 0x6627), Value: []string{"a", ""}},
		{Tag: tag(mapispi.MVFlag|mapispi.PtUnicode, 0x6628), Value: []string{"日本"}},
		{Tag: tag(mapispi.MVFlag|mapispi.PtSysTime, 0x6629), Value: []time.Time{when, when.Add(time.Hour)}},
		{Tag: tag(mapispi.MVFlag|mapispi.PtCLSID, 0x662A), Value: []mapispi.UID{uid, {}}},
		{Tag: tag(mapispi.MVFlag|mapispi.PtBinary, 0x662B), Value: [][]byte{{0xFF}, {}}},
	}
}

func TestProfileRoundTripsEveryType(t *testing.T) {
	p := mapi.Profile{Name: "Default", Services: []mapi.Service{
		{Name: "Personal Folders", Provider: "msprovider.dll", Props: everyType()},
		{Name: "Empty", Provider: "other.dll"},
	}}
	var buf bytes.Buffer
	require.NoError(t, p.Save(&buf))
	got, err := mapi.LoadProfile(&buf)
	require.NoError(t, err, "LoadProfile(Save(p))")
	require.Equal(t, p.Name, got.Name)
	require.Len(t, got.Services, 2)
	assert.Equal(t, "msprovider.dll", got.Services[0].Provider)
	want := everyType()
	require.Len(t, got.Services[0].Props, len(want))
	for i, w := range want {
		g := got.Services[0].Props[i]
		assert.Equal(t, w.Tag, g.Tag, "property %d tag", i)
		assert.NoError(t, g.Check(), "LoadProfile gave %v the wrong Go type", g)
		switch wv := w.Value.(type) {
		case time.Time:
			assert.True(t, wv.Equal(g.Value.(time.Time)), "%v = %v, want %v", w.Tag, g.Value, wv)
		case []time.Time:
			for j := range wv {
				assert.True(t, wv[j].Equal(g.Value.([]time.Time)[j]))
			}
		default:
			assert.Equal(t, w.Value, g.Value, "%v after a round trip", w.Tag)
		}
	}
	assert.Empty(t, got.Services[1].Props)
}

func TestProfileSaveLeavesOutSecrets(t *testing.T) {
	password := mapispi.NewPropTag(mapispi.PtUnicode, mapispi.PropIDSecureMin+2)
	p := mapi.Profile{Name: "p", Services: []mapi.Service{{Name: "s", Provider: "x.dll", Props: []mapispi.PropValue{
		{Tag: mapispi.PropDisplayName, Value: "Store"},
		{Tag: password, Value: "hunter2"},
		{Tag: mapispi.NewPropTag(mapispi.PtLong, mapispi.PropIDSecureMax), Value: int32(1)},
	}}}}
	var buf bytes.Buffer
	require.NoError(t, p.Save(&buf))
	assert.NotContains(t, buf.String(), "hunter2", "Save wrote a secure property")
	got, err := mapi.LoadProfile(&buf)
	require.NoError(t, err)
	assert.Equal(t, []mapispi.PropValue{{Tag: mapispi.PropDisplayName, Value: "Store"}}, got.Services[0].Props)

	buf.Reset()
	require.NoError(t, p.SaveWithSecrets(&buf))
	got, err = mapi.LoadProfile(&buf)
	require.NoError(t, err)
	assert.Equal(t, p.Services[0].Props, got.Services[0].Props, "SaveWithSecrets then LoadProfile")
}

func TestProfileSaveRefuses(t *testing.T) {
	for name, v := range map[string]mapispi.PropValue{
		"object":   {Tag: mapispi.NewPropTag(mapispi.PtObject, 0x6601), Value: struct{}{}},
		"mismatch": {Tag: mapispi.PropDisplayName, Value: 42},
	} {
		var buf bytes.Buffer
		err := mapi.Profile{Services: []mapi.Service{{Name: "s", Props: []mapispi.PropValue{v}}}}.Save(&buf)
		assert.ErrorIs(t, err, mapispi.ErrBadValue, "Save with %s", name)
		assert.Zero(t, buf.Len(), "Save with %s wrote %q", name, buf.String())
	}
}

func TestLoadProfileErrors(t *testing.T) {
	svc := func(props string) string {
		return `{"name":"p","services":[{"name":"s","provider":"x.dll","props":[` + props + `]}]}`
	}
	tests := map[string]string{
		"not JSON":          `{`,
		"unknown field":     `{"name":"p","extra":1,"services":[]}`,
		"trailing data":     `{"name":"p","services":[]} {}`,
		"bad tag":           svc(`{"tag":"PR_SUBJECT","value":"x"}`),
		"string for long":   svc(`{"tag":"0x66010003","value":"1"}`),
		"long overflow":     svc(`{"tag":"0x66010003","value":4294967296}`),
		"i2 overflow":       svc(`{"tag":"0x66010002","value":40000}`),
		"i8 as number":      svc(`{"tag":"0x66010014","value":1}`),
		"bad hex":           svc(`{"tag":"0x66010102","value":"XYZ"}`),
		"bad time":          svc(`{"tag":"0x66010040","value":"yesterday"}`),
		"bad uid":           svc(`{"tag":"0x66010048","value":"{nope}"}`),
		"mv not array":      svc(`{"tag":"0x1001101F","value":"x"}`),
		"mv bad item":       svc(`{"tag":"0x66011003","value":[1,"2"]}`),
		"object":            svc(`{"tag":"0x6601000D","value":null}`),
		"null with value":   svc(`{"tag":"0x66010001","value":3}`),
		"unknown type":      svc(`{"tag":"0x66010099","value":3}`),
		"float word":        svc(`{"tag":"0x66010005","value":"pi"}`),
		"error not hex":     svc(`{"tag":"0x6601000A","value":"MAPI_E_NOT_FOUND"}`),
		"bool as string":    svc(`{"tag":"0x6601000B","value":"true"}`),
		"string as number":  svc(`{"tag":"0x3001001F","value":5}`),
		"mv unknown base":   svc(`{"tag":"0x6601100B","value":[true]}`),
		"fraction for long": svc(`{"tag":"0x66010003","value":1.5}`),
		"null profile":      `null`,
		"null services":     `{"name":"p","services":null}`,
		"no services":       `{"name":"p"}`,
		"null props":        `{"name":"p","services":[{"name":"s","provider":"x.dll","props":null}]}`,
		"name of another":   svc(`{"tag":"0x3001001F","name":"PR_SUBJECT","value":"x"}`),
		"name, unnamed tag": svc(`{"tag":"0x66010003","name":"PR_MESSAGE_FLAGS","value":1}`),
		"misspelt name":     svc(`{"tag":"0x3001001F","name":"PR_DISPLAYNAME","value":"x"}`),
	}
	for name, in := range tests {
		_, err := mapi.LoadProfile(strings.NewReader(in))
		if !errors.Is(err, mapispi.ErrCorruptData) {
			t.Errorf("LoadProfile(%s: %s) = %v, want ErrCorruptData", name, in, err)
		}
	}
}

func TestLoadProfileNamesTheProperty(t *testing.T) {
	_, err := mapi.LoadProfile(strings.NewReader(`{"name":"p","services":[{"name":"Mail","provider":"x.dll","props":[{"tag":"0x3001001F","value":"ok"},{"tag":"0x66010003","value":"1"}]}]}`))
	require.Error(t, err)
	for _, want := range []string{`"Mail"`, "property 1", "0x66010003"} {
		assert.Contains(t, err.Error(), want)
	}
}

func FuzzLoadProfile(f *testing.F) {
	var buf bytes.Buffer
	_ = mapi.Profile{Name: "p", Services: []mapi.Service{{Name: "s", Provider: "x.dll", Props: everyType()}}}.Save(&buf)
	f.Add(buf.String())
	f.Add(`{"name":"p","services":[{"name":"s","provider":"x.dll","props":[{"tag":"0x66010003","value":1}]}]}`)
	f.Fuzz(func(t *testing.T, in string) {
		p, err := mapi.LoadProfile(strings.NewReader(in))
		if err != nil {
			if !errors.Is(err, mapispi.ErrCorruptData) {
				t.Fatalf("LoadProfile error %v does not wrap ErrCorruptData", err)
			}
			return
		}
		var out bytes.Buffer
		if err := p.SaveWithSecrets(&out); err != nil {
			t.Fatalf("SaveWithSecrets of a loaded profile: %v", err)
		}
		first := out.String()
		q, err := mapi.LoadProfile(strings.NewReader(first))
		if err != nil {
			t.Fatalf("LoadProfile(SaveWithSecrets(LoadProfile(x))): %v", err)
		}
		var again bytes.Buffer
		if err := q.SaveWithSecrets(&again); err != nil || again.String() != first {
			t.Fatalf("second save differs:\n%s\nvs\n%s", first, again.String())
		}
	})
}

// TestLoadProfileNamesAgreeWithTags: a property's name is checked against
// its tag; another spelling of the same tag is fine, and the error for a
// contradiction says which property the name is.
func TestLoadProfileNamesAgreeWithTags(t *testing.T) {
	for _, name := range []string{"PR_DISPLAY_NAME", "PR_DISPLAY_NAME_W", "PidTagDisplayName"} {
		p, err := mapi.LoadProfile(strings.NewReader(`{"name":"p","services":[{"name":"s","provider":"x.dll","props":[{"tag":"0x3001001F","name":"` + name + `","value":"x"}]}]}`))
		if assert.NoError(t, err, "LoadProfile with name %q for PR_DISPLAY_NAME", name) {
			assert.Equal(t, mapispi.PropDisplayName, p.Services[0].Props[0].Tag)
		}
	}
	_, err := mapi.LoadProfile(strings.NewReader(`{"name":"p","services":[{"name":"s","provider":"x.dll","props":[{"tag":"0x3001001F","name":"PR_SUBJECT","value":"x"}]}]}`))
	require.Error(t, err)
	for _, want := range []string{"PR_SUBJECT", "0x0037001F", "0x3001001F", "one of the two is wrong"} {
		assert.Contains(t, err.Error(), want, "the error for a name that contradicts its tag")
	}
}

// TestSecureValuesNeverShow: a secure-range value (a saved password) is in
// no error of LoadProfile and no %v of a Profile.
func TestSecureValuesNeverShow(t *testing.T) {
	const secret = "hunter2-S3CRET"
	_, err := mapi.LoadProfile(strings.NewReader(`{"name":"p","services":[{"name":"s","provider":"x.dll","props":[{"tag":"0x67F00003","value":"` + secret + `"}]}]}`))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "hunter2", "LoadProfile's error for a secure value that does not parse")
	p := mapi.Profile{Name: "p", Services: []mapi.Service{{Name: "s", Provider: "x.dll", Props: []mapispi.PropValue{
		{Tag: mapispi.NewPropTag(mapispi.PtUnicode, mapispi.PropIDSecureMin), Value: secret}}}}}
	for _, format := range []string{"%v", "%+v", "%s"} {
		assert.NotContains(t, fmt.Sprintf(format, p), "hunter2", "Sprintf(%q, a profile with a saved password)", format)
	}
}
