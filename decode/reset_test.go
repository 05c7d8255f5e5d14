package decode

import (
	"reflect"
	"testing"
	"time"
)

// TestResetTraffic: after a traffic line, reset clears field by field only
// the fields before Event; every one of them must come back blank, and the
// traffic reader must leave every field from Event on blank.
func TestResetTraffic(t *testing.T) {
	e := blankEntry // as after a reset: the fields from Event on are blank
	v := reflect.ValueOf(&e).Elem()
	typ := v.Type()
	stop, _ := typ.FieldByName("Event")
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		if f.Offset >= stop.Offset || !f.IsExported() {
			continue
		}
		fv := v.Field(i)
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
				fv.Set(reflect.ValueOf([][]byte{[]byte("x")}))
			}
		case reflect.Struct:
			fv.Set(reflect.ValueOf(time.Unix(1, 0)))
		default:
			t.Fatalf("field %s: kind %v", f.Name, fv.Kind())
		}
	}
	e.trafficOnly = true
	e.reset()
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		if !f.IsExported() {
			continue
		}
		got, want := v.Field(i).Interface(), reflect.ValueOf(blankEntry).Field(i).Interface()
		if f.Name == "ReqHeaders" || f.Name == "RespHeaders" {
			if v.Field(i).Len() != 0 {
				t.Errorf("%s not cleared", f.Name)
			}
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v after reset, want %v", f.Name, got, want)
		}
	}

	// Traffic lines leave the fields from Event on as blank.
	d := Decoder{Location: time.UTC}
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	for _, bc := range benchLines {
		var e Entry
		d.Decode(&e, []byte(bc.line), now)
		if !e.IsTraffic() {
			continue
		}
		ev := reflect.ValueOf(&e).Elem()
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			if f.Offset < stop.Offset || !f.IsExported() {
				continue
			}
			if got, want := ev.Field(i).Interface(), reflect.ValueOf(blankEntry).Field(i).Interface(); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: traffic line set %s = %v", bc.name, f.Name, got)
			}
		}
	}
}
