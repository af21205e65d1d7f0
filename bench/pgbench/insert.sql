-- POST /users: the statement EF Core sends for SaveChanges of one new user.
INSERT INTO users (nickname) VALUES ('bench') RETURNING id;
