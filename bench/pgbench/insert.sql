-- POST /users: the statement EF Core sends for SaveChanges of one new user (xmin: the ETag).
INSERT INTO users (nickname) VALUES ('bench') RETURNING id, xmin;
