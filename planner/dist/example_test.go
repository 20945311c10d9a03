package dist_test

import (
	"fmt"
	"math/rand/v2"
	"time"

	"filegen/planner/dist"
)

func ExampleParsePreset() {
	p, err := dist.ParsePreset("RecentSkew")
	fmt.Println(p, err)
	_, err = dist.ParsePreset("newest")
	fmt.Println(err)
	// Output:
	// recent-skew <nil>
	// dist: date preset "newest", want one of uniform, recent-skew, year-spread, legacy-mess, archive: unknown date preset
}

func ExampleDates_Draw() {
	asOf := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	d := dist.NewDates(dist.RecentSkew,
		asOf.AddDate(-10, 0, 0).UnixNano(), asOf.UnixNano())
	if err := d.Validate(); err != nil {
		fmt.Println(err)
		return
	}

	// Any Source will do; the planner gives each file its own.
	s := rand.New(rand.NewPCG(1, 2))
	recent := 0
	for range 10000 {
		if asOf.Sub(time.Unix(0, d.Draw(s))) < 30*24*time.Hour {
			recent++
		}
	}
	fmt.Printf("about %d %% written in the last 30 days\n",
		(recent+50)/100)
	// Output:
	// about 21 % written in the last 30 days
}

func ExampleSizeModel_Mean() {
	m := dist.Impressions()
	fmt.Printf("%s: %.0f %% of files under 16 KiB, mean %.0f KB\n",
		m.Name, 100*m.CDF(16<<10), m.Mean()/1e3)
	// Output:
	// impressions: 54 % of files under 16 KiB, mean 462 KB
}
