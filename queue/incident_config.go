package queue

import (
	"fmt"
	"time"
)

// CrisisConfig is the [crisis] table (docs/CRISIS.md), all optional:
//
//	[crisis]
//	printer_incident_after = "10m"  # the printer down this long is an incident
//	surge_incidents = true          # record surges the forecast sees as incidents
type CrisisConfig struct {
	PrinterIncidentAfter string `toml:"printer_incident_after"`
	SurgeIncidents       *bool  `toml:"surge_incidents"`

	// PrinterAfter is PrinterIncidentAfter parsed (default 10 minutes).
	PrinterAfter time.Duration `toml:"-"`
}

// defaultPrinterIncidentAfter: a printer out of paper for ten minutes has sent citizens
// away without a slip; shorter is a roll being changed.
const defaultPrinterIncidentAfter = 10 * time.Minute

// Surges reports whether surges are recorded as incidents (the default).
func (c CrisisConfig) Surges() bool { return c.SurgeIncidents == nil || *c.SurgeIncidents }

// checkCrisis checks [crisis] and the crisis keys of each [[service]].
func (c *Config) checkCrisis(v *validator) {
	cr := &c.Crisis
	cr.PrinterAfter = defaultPrinterIncidentAfter
	if cr.PrinterIncidentAfter != "" {
		d, err := time.ParseDuration(cr.PrinterIncidentAfter)
		switch {
		case err != nil:
			v.add("crisis.printer_incident_after", fmt.Sprintf(`%q bukan durasi; tulis misalnya "10m"`, cr.PrinterIncidentAfter))
		case d < time.Minute || d > 24*time.Hour:
			v.add("crisis.printer_incident_after", "isi antara 1m dan 24h")
		default:
			cr.PrinterAfter = d
		}
	}
	for i, s := range c.Services {
		key := fmt.Sprintf("service.%d", i)
		if s.StopWhenUnservable && c.Office.Close == "" {
			v.add(key+".stop_when_unservable", "hanya berlaku bila [office] punya jam buka dan tutup (open, close): tanpa jam tutup tidak ada batas untuk diramalkan")
		}
		if err := checkText("other_channel", s.OtherChannel, MaxNameRunes); err != nil {
			v.add(key+".other_channel", err.Error())
		}
	}
}
