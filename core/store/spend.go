package store

// Spend is money, in millionths of a price table's currency unit (a
// micro-dollar at X): whole numbers, so that a day's many small prices
// ($0.015 a DM) add up exactly.
type Spend int64

// SpendOf converts an amount of currency (dollars) to Spend.
func SpendOf(amount float64) Spend {
	if amount <= 0 {
		return 0
	}
	return Spend(amount*1e6 + 0.5)
}

// Dollars is the spend as an amount of currency.
func (s Spend) Dollars() float64 { return float64(s) / 1e6 }
