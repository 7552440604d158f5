-- The contact limits are per person, across applications: the indexes that find every loan and
-- draw of one person (the person key of the loan's application, the keyed hash of the ID number).
-- Shipped: never edit this file; change the schema in a new migration.
CREATE INDEX applications_by_person ON applications (person_key);
CREATE INDEX loans_by_application ON loans (application_id);
