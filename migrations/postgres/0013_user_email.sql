-- A user's e-mail address: their calendar user address (RFC 6638 §2.4.1
-- calendar-user-address-set, as mailto:), so an ORGANIZER names them and an ATTENDEE with
-- it is delivered to their schedule inbox rather than mailed. Stored lower-cased; one user
-- an address.
ALTER TABLE users ADD COLUMN email TEXT;
CREATE UNIQUE INDEX users_email ON users(email);
