package web

// boardService is what the board page needs from the service layer.
type boardService interface{}

func (d *Dashboard) registerBoard() {}
