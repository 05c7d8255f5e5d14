package decode

import (
	"reflect"
	"testing"
	"time"
)

// fill sets every field of the struct v points to to a non-blank value.
func fill(t *testing.T, v reflect.Value) {
	typ := v.Type()
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		fv := v.Field(i)
		if !f.IsExported() {
			continue
		}
		switch fv.Kind() {
		case reflect.Int, reflect.Int64:
			fv.SetInt(7)
		case reflect.Uint8:
			fv.SetUint(3)
		case reflect.Bool:
			fv.SetBool(true)
		case reflect.String:
			fv.SetString("x")
		case reflect.Slice:
			if fv.Type().Elem().Kind() == reflect.Uint8 {
				fv.SetBytes([]byte("x"))
			} else {
				fv.Set(reflect.MakeSlice(fv.Type(), 1, 1))
			}
		case reflect.Struct:
			if fv.Type() == reflect.TypeOf(ParseError{}) {
				fv.Set(reflect.ValueOf(ParseError{Reason: "x"}))
			} else {
				fv.Set(reflect.ValueOf(time.Unix(1, 0)))
			}
		case reflect.Pointer:
			fv.Set(reflect.New(fv.Type().Elem()))
		default:
			t.Fatalf("field %s: kind %v", f.Name, fv.Kind())
		}
	}
}

// blankAs reports the fields of got that differ from want (two structs of
// the same type); the captured header lists only need to be empty.
func blankAs(t *testing.T, what string, got, want reflect.Value) {
	typ := got.Type()
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		if !f.IsExported() {
			continue
		}
		if f.Name == "ReqHeaders" || f.Name == "RespHeaders" || f.Name == "Samples" {
			if got.Field(i).Len() != 0 {
				t.Errorf("%s: %s not cleared", what, f.Name)
			}
			continue
		}
		if g, w := got.Field(i).Interface(), want.Field(i).Interface(); !reflect.DeepEqual(g, w) {
			t.Errorf("%s: %s = %v after reset, want %v", what, f.Name, g, w)
		}
	}
}

// TestReset: reset blanks every part a line can have set. After a traffic
// line it leaves the Operational part alone, so the traffic reader must
// never set a field of it.
func TestReset(t *testing.T) {
	for _, typ := range []LogType{LogHTTP, LogEvent, LogUnknown} {
		var e Entry
		fill(t, reflect.ValueOf(&e.Header).Elem())
		fill(t, reflect.ValueOf(&e.Traffic).Elem())
		fill(t, reflect.ValueOf(&e.Explanation).Elem())
		fill(t, reflect.ValueOf(&e.Custom).Elem())
		if typ != LogHTTP {
			fill(t, reflect.ValueOf(&e.Operational).Elem())
		} else {
			e.Operational = blankOperational // as a traffic line leaves it
		}
		e.Type = typ
		e.reset()
		name := typ.String()
		blankAs(t, name, reflect.ValueOf(e.Header), reflect.ValueOf(blankHeader))
		blankAs(t, name, reflect.ValueOf(e.Traffic), reflect.ValueOf(blankTraffic))
		blankAs(t, name, reflect.ValueOf(e.Operational), reflect.ValueOf(blankOperational))
		blankAs(t, name, reflect.ValueOf(e.Explanation), reflect.ValueOf(Explanation{}))
		blankAs(t, name, reflect.ValueOf(e.Custom), reflect.ValueOf(blankCustom))
	}

	// Traffic lines leave the Operational part blank.
	d := Decoder{Location: time.UTC}
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	for _, bc := range benchLines {
		var e Entry
		d.Decode(&e, []byte(bc.line), now)
		if !e.IsTraffic() {
			continue
		}
		blankAs(t, bc.name, reflect.ValueOf(e.Operational), reflect.ValueOf(blankOperational))
	}

	// So do lines read with a custom log-format, which fill Traffic and
	// Custom (every variable of the format below).
	e := decodeWith(t, `%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %fi:%fp %ID %{+Q}r`,
		`10.1.2.3:5000 [21/Nov/2026:07:35:32.633] fe be/s1 0/0/1/2/3 200 90 ---- 1/1/0/0/0 0/0 10.0.0.1:443 abc "GET / HTTP/1.1"`)
	if !e.IsTraffic() {
		t.Fatalf("custom line: %v, %s", e.Type, e.ParseError)
	}
	blankAs(t, "custom", reflect.ValueOf(e.Operational), reflect.ValueOf(blankOperational))
}
