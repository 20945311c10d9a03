package content_test

import (
	"errors"
	"fmt"

	"filegen/planner/content"
)

func ExampleRecognize() {
	fmt.Println(content.Recognize(content.Header("xlsx")))
	fmt.Println(content.Recognize(content.Header("dll")))
	fmt.Println(content.TypeOf("msg"))
	// Output:
	// ooxml
	// pe
	// ole
}

func ExampleParseMode() {
	m, err := content.ParseMode("dedup:5")
	fmt.Println(m.Kind == content.Dedup, m.Ratio, m, err)
	_, err = content.ParseMode("dedup")
	fmt.Println(errors.Is(err, content.ErrMode))
	// Output:
	// true 5 dedup:5 <nil>
	// true
}
