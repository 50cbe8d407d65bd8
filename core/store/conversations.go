package store

// Conversation returns a conversation by X conversation id.
func (t *Tx) Conversation(ws, id string) (Conversation, error) {
	var c Conversation
	err := t.get(convKey(ws, id), &c)
	return c, err
}

// PutConversation creates or replaces a conversation.
func (t *Tx) PutConversation(c Conversation) error { return t.put(convKey(c.Workspace, c.ID), c) }

// Conversations lists the workspace's conversations.
func (t *Tx) Conversations(ws string) ([]Conversation, error) {
	return scanJSON[Conversation](t, wsKey(ws, "conv")+"/")
}

// AddMessage stores a message; it reports false if it was already stored.
func (t *Tx) AddMessage(ws string, m Message) (bool, error) {
	k := msgKey(ws, m.ConversationID, m.ID)
	if t.exists(k) {
		return false, nil
	}
	return true, t.put(k, m)
}

// Messages lists a conversation's messages in id order.
func (t *Tx) Messages(ws, convID string) ([]Message, error) {
	return scanJSON[Message](t, msgKey(ws, convID, ""))
}

// DMCursor returns the account's DM events cursor.
func (t *Tx) DMCursor(ws, accountID string) (string, error) {
	v, err := t.getString(cursorKey(ws, accountID))
	if IsNotFound(err) {
		return "", nil
	}
	return v, err
}

// SetDMCursor stores the account's DM events cursor.
func (t *Tx) SetDMCursor(ws, accountID, cursor string) error {
	return t.setString(cursorKey(ws, accountID), cursor)
}
